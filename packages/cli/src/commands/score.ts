import type { Command } from '../command.ts';

const HELP = `Usage: tunekit score --input <preds.tsv> [--json]

Scores a token<TAB>gold<TAB>pred[<TAB>confidence] file (blank line between sentences) like
conlleval: entity precision/recall/F1 in seqeval's default mode (conlleval-compatible) and strict
IOB2 mode, per type, and token accuracy.

  --input <file>  predictions file (relative to the current directory)
  --json          print one JSON object: f1, precision, recall, f1_strict, per_type
                  ({type: {precision, recall, f1, support}}), token_accuracy

Exit codes: 0 ok, 2 usage error or malformed input (file:line in the message).`;

/** `tunekit score`: logic in @tunekit/evaluation (runScoreCommand), shared with the evaluation/ner stage. */
export const scoreCommand: Command = {
  name: 'score',
  summary: 'Score a token<TAB>gold<TAB>pred file like conlleval (seqeval default + strict IOB2, per type, token accuracy).',
  help: HELP,
  async run(argv, io) {
    const { runScoreCommand } = await import('@tunekit/evaluation/commands');
    return runScoreCommand(argv, { stdout: (t) => io.stdout.write(t), stderr: (t) => io.stderr.write(t), cwd: io.cwd });
  },
};
