import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export const BERT_SPECIAL_TOKENS = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'];

/**
 * Write a BERT WordPiece tokenizer in Hugging Face layout: `vocab.txt` (one token per line, line =
 * id), `tokenizer.json` (serialised by the `tokenizers` library itself) and `tokenizer_config.json`.
 */
export async function writeBertTokenizerFiles(dir: string, vocab: string[], lowercase: boolean): Promise<void> {
  const tk = await import('tokenizers');
  const model = tk.WordPiece.init(Object.fromEntries(vocab.map((token, id) => [token, id])), { unkToken: '[UNK]', continuingSubwordPrefix: '##', maxInputCharsPerWord: 100 });
  const tokenizer = new tk.Tokenizer(model);
  tokenizer.setNormalizer(tk.bertNormalizer({ cleanText: true, handleChineseChars: true, lowercase, stripAccents: lowercase }));
  tokenizer.setPreTokenizer(tk.bertPreTokenizer());
  tokenizer.setPostProcessor(tk.bertProcessing(['[SEP]', vocab.indexOf('[SEP]')], ['[CLS]', vocab.indexOf('[CLS]')]));
  tokenizer.setDecoder(tk.wordPieceDecoder('##', true));
  tokenizer.addSpecialTokens(BERT_SPECIAL_TOKENS);
  tokenizer.save(join(dir, 'tokenizer.json'), true);
  await writeFile(join(dir, 'vocab.txt'), vocab.join('\n') + '\n');
  const config = {
    tokenizer_class: 'BertTokenizer',
    do_lower_case: lowercase,
    strip_accents: null,
    tokenize_chinese_chars: true,
    unk_token: '[UNK]',
    sep_token: '[SEP]',
    pad_token: '[PAD]',
    cls_token: '[CLS]',
    mask_token: '[MASK]',
  };
  await writeFile(join(dir, 'tokenizer_config.json'), JSON.stringify(config, null, 2) + '\n');
}
