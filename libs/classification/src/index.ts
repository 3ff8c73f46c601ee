export type { Classification, ClassificationRequest, LabelScore } from './classification.js';
export {
  ClassificationFailedError,
  ClassifierUnavailableError,
  ImageRejectedError,
  type ImageRejectionType,
} from './classification.errors.js';
export { ClassificationModule } from './classification.module.js';
export { ClassifierClient } from './classifier-client.js';
