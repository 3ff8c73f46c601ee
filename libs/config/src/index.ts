export { InvalidConfigurationError, validateEnvironment } from './validate-environment.js';
