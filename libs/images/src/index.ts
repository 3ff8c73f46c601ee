export { ImageResponseDto, type ImageDto } from './dto/image.dto.js';
export { ImageIdParams } from './dto/image-id.params.js';
export type { ClaimRefusal, ClassificationClaim } from './image-classification.repository.js';
export {
  imageIdOfObjectKey,
  TRANSIENT_FAILURE_TYPES,
  UNFINISHED_SHARDS,
  UNFINISHED_WORK,
  unfinishedMarker,
  type ImageClassification,
  type ImageContentType,
  type ImageFailure,
  type ImageLabel,
  type ImageRecord,
  type ImageStatus,
  type UnfinishedWork,
} from './image.js';
export { ImageProcessingService } from './image-processing.service.js';
export { ImageStorage } from './image-storage.js';
export { imagesConfig, type ImagesConfig } from './images.config.js';
export { ImagesModule } from './images.module.js';
export { ImagesService } from './images.service.js';
export { isPhotoUpload, PHOTO_CONTENT_TYPES, PHOTO_UPLOAD_MAX_BYTES } from './photo-upload.js';
export { imageLabelsTableDefinition, imagesTableDefinition } from './images.table.js';
export { OrphanObjectSweep, type OrphanSweepCounts } from './orphan-object-sweep.js';
export { labelWordShard } from './image-labels.repository.js';
export { indexedLabels, labelWords } from './label-words.js';
export { imageItem, imageItemKey, type ImageItemKey } from './image-key.js';
