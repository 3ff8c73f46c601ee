export { awsConfig, type AwsConfig } from './aws.config.js';
export { AwsModule } from './aws.module.js';
export { dependencyFailure, rethrowDependencyFailure } from './dependency-failure.js';
