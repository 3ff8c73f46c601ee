export { classifierFunctionDefinition } from './classifier-function-definition.js';
export type { ClassifierFunctionOptions } from './classifier-function-definition.js';
export { ensureClassifierBuilt } from './ensure-classifier-built.js';
export { LambdaEmulator } from './lambda-emulator.js';
export type { LambdaEmulatorOptions } from './lambda-emulator.js';
export type { InjectedFault, LambdaFunctionDefinition, RuntimeCommand } from './lambda-function-definition.js';
