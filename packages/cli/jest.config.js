import preset from '../../jest.preset.js';

// The CLI tests spend most of their time waiting for `tunekit` child processes: run three test
// files at once even on 2 cores (jest's default would be one worker there).
export default { ...preset, maxWorkers: 3 };
