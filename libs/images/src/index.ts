export type { ImageContentType, ImageRecord, ImageStatus } from './image.js';
export { imagesConfig, type ImagesConfig } from './images.config.js';
export { ImagesModule } from './images.module.js';
export { ImagesService } from './images.service.js';
export { imagesTableDefinition } from './images.table.js';
