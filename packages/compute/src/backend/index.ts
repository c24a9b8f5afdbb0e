export { BACKEND_ORDER, BACKEND_ENV, forcedBackend, type BackendName } from './names.ts';
export { selectBackend, chooseBackend, registerGradients, resetBackendSelection, defaultLoaders, type SelectOptions, type SelectedBackend, type BackendLoader } from './select.ts';
export { runtimeFingerprint, predictBackend, fingerprint, type RuntimeFingerprint } from './fingerprint.ts';
export { selfCheck, type SelfCheck } from './self-check.ts';
export { runtimeFacts, describeRuntime, type RuntimeFacts } from './runtime-facts.ts';
