import { groupsTableDefinition, GroupsService } from '@app/groups';
import {
  ImageProcessingService,
  imageLabelsTableDefinition,
  ImagesModule,
  ImagesService,
  ImageStorage,
  imagesTableDefinition,
  labelWords,
} from '@app/images';
import { ensureTables } from '@dev/local-cloud';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { Test } from '@nestjs/testing';
import { CapacityRecorder, type RecordedRequest } from './capacity-recorder.js';
import { seededRandom } from '../seeded-random.js';
import { LabelWordModel, zipfSampler } from './label-word-model.js';
import { tableSchema } from './table-schemas.js';

export interface WorkloadOptions {
  dynamodbEndpoint: string;
  region: string;
  /** Table names start with it, so a run never meets another's items. */
  tablePrefix: string;
  groups: number;
  uploads: number;
  /** Zipf exponent of uploads over groups. */
  groupSkew: number;
  /** Share of uploads deleted later (each delete is a recorded `delete`). */
  deleteShare: number;
  /** Recorded requests per read route. */
  readsPerRoute: number;
  pageSize: number;
  seed: number;
  classesFile: string;
  log: (line: string) => void;
}

export interface WorkloadRecording {
  requests: RecordedRequest[];
  /** How many times each step ran (an upload is one step, whatever number of requests it made). */
  steps: Record<string, number>;
  hotGroupShare: number;
  hotWord: string;
  hotWordShare: number;
  /** The groups' ids by Zipf rank (0: the most popular). */
  groupIds: string[];
}

/**
 * S3 is not measured: the stand-in makes URLs without signing and never touches the network. It has every public
 * method of ImageStorage, so a method added there fails the type-check here instead of the run.
 */
const fakeStorage: Pick<ImageStorage, keyof ImageStorage> = {
  uploadUrl: async (key) => `https://s3.invalid/${key}`,
  downloadUrl: async (key) => `https://s3.invalid/${key}`,
  thumbnailUrl: async (key) => `https://s3.invalid/${key}`,
  sizeOf: async () => 1024,
  read: async () => new Uint8Array(),
  writePhoto: async () => undefined,
  writeJpeg: async () => undefined,
  listPage: async () => ({ objects: [], continuationToken: undefined }),
  delete: async () => undefined,
};

/**
 * A realistic workload through the real services (GroupsService, ImagesService, ImageProcessingService) on
 * DynamoDB, with the capacity recorder on the application's own DynamoDB client. Uploads go to groups by Zipf
 * (so the first groups hold very many images) and are classified as the pipeline does it (find by object key,
 * claim, record the classification, record the thumbnail) with labels from LabelWordModel; then the three read
 * routes: the front page, the hottest group's first page, a search for the hottest word.
 */
export async function recordWorkload(options: WorkloadOptions): Promise<WorkloadRecording> {
  const names = {
    groups: `${options.tablePrefix}-groups`,
    images: `${options.tablePrefix}-images`,
    labels: `${options.tablePrefix}-image-labels`,
  };
  const definitions = [
    groupsTableDefinition(names.groups),
    imagesTableDefinition(names.images),
    imageLabelsTableDefinition(names.labels),
  ];
  const credentials = {
    accessKeyId: process.env.AWS_ACCESS_KEY_ID ?? 'local',
    secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY ?? 'local',
  };
  const inspector = new DynamoDBClient({ region: options.region, endpoint: options.dynamodbEndpoint, credentials });
  await ensureTables(inspector, definitions, options.log);

  const savedEnvironment = { ...process.env };
  Object.assign(process.env, {
    AWS_REGION: options.region,
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    DYNAMODB_ENDPOINT: options.dynamodbEndpoint,
    GROUPS_TABLE: names.groups,
    IMAGES_TABLE: names.images,
    IMAGE_LABELS_TABLE: names.labels,
    IMAGES_BUCKET: 'capacity-ledger',
  });
  const moduleRef = await Test.createTestingModule({ imports: [ImagesModule] })
    .overrideProvider(ImageStorage)
    .useValue(fakeStorage)
    .compile();
  try {
    const recorder = new CapacityRecorder(definitions.map(tableSchema), inspector);
    recorder.attach(moduleRef.get(DynamoDBDocumentClient));
    const groups = moduleRef.get(GroupsService);
    const images = moduleRef.get(ImagesService);
    const processing = moduleRef.get(ImageProcessingService);
    const random = seededRandom(options.seed);
    const labels = new LabelWordModel(options.classesFile, random);
    const steps: Record<string, number> = {};
    const step = async <T>(name: string, run: () => Promise<T>): Promise<T> => {
      recorder.during(name);
      steps[name] = (steps[name] ?? 0) + 1;
      try {
        return await run();
      } finally {
        recorder.during('setup');
      }
    };

    const groupIds: string[] = [];
    for (let index = 0; index < options.groups; index += 1) {
      const group = await step('create-group', () =>
        groups.create(`user-${index % 7}`, {
          name: `Group ${index}`,
          description: 'Photos of the things we saw this week, from the whole family.',
        }),
      );
      groupIds.push(group.id);
    }

    const pickGroup = zipfSampler(options.groups, options.groupSkew, random);
    const uploadsPerGroup = new Map<string, number>();
    const wordCounts = new Map<string, number>();
    const created: string[] = [];
    for (let index = 0; index < options.uploads; index += 1) {
      const groupId = groupIds[pickGroup()]!;
      uploadsPerGroup.set(groupId, (uploadsPerGroup.get(groupId) ?? 0) + 1);
      const classification = labels.next();
      for (const word of labelWords(classification.labels.map((label) => label.label)))
        wordCounts.set(word, (wordCounts.get(word) ?? 0) + 1);
      await step('upload', async () => {
        const { newItem } = await images.create(`user-${index % 11}`, groupId, {
          title: `Photo ${index}`,
          contentType: 'image/jpeg',
        });
        const image = await processing.findByObjectKey(`images/${newItem.imageId}`);
        const claim = await processing.claim(image!, new Date(Date.now() - 90_000).toISOString());
        if (typeof claim === 'string') throw new Error(`Image ${newItem.imageId} could not be claimed (${claim})`);
        await processing.recordClassification(claim, classification);
        await processing.storeThumbnail(image!, new Uint8Array());
        created.push(newItem.imageId);
      });
    }

    const deletes = Math.round(options.uploads * options.deleteShare);
    for (let index = 0; index < deletes; index += 1) {
      const imageId = created.splice(Math.floor(random() * created.length), 1)[0]!;
      const image = await processing.find(imageId);
      await step('delete', () => images.delete(image.userId, imageId));
    }

    const [hotGroup, hotGroupUploads] = [...uploadsPerGroup].sort((a, b) => b[1] - a[1])[0]!;
    const [hotWord, hotWordUploads] = [...wordCounts].sort((a, b) => b[1] - a[1])[0]!;
    for (let index = 0; index < options.readsPerRoute; index += 1) {
      await step('front-page', () => groups.list(options.pageSize, undefined));
      await step('hot-group-page', () => images.listForGroup(hotGroup, options.pageSize, undefined));
      await step('label-search', () => images.searchByLabel(hotWord, options.pageSize, undefined));
    }
    return {
      requests: recorder.requests.filter((request) => request.step !== 'setup'),
      steps,
      hotGroupShare: hotGroupUploads / options.uploads,
      hotWord,
      hotWordShare: hotWordUploads / options.uploads,
      groupIds,
    };
  } finally {
    await moduleRef.close();
    inspector.destroy();
    process.env = savedEnvironment;
  }
}
