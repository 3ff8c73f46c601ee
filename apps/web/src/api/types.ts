import type { components } from './schema';

type Schemas = components['schemas'];

export type Group = Schemas['GroupDto'];
export type CreateGroupInput = Schemas['CreateGroupDto'];
export type Image = Schemas['ImageDto'];
export type ImageLabel = Schemas['ImageLabelDto'];
export type ImageStatus = Image['status'];
export type CreateImageInput = Schemas['CreateImageDto'];
export type UploadableContentType = NonNullable<CreateImageInput['contentType']>;
export type CreatedImage = Schemas['CreatedImageResponseDto'];
export type ErrorResponse = Schemas['ErrorResponseDto'];

/** Every listing answers `{items, nextKey?}`. */
export interface Page<T> {
  items: T[];
  nextKey?: string;
}
