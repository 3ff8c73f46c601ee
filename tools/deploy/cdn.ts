/**
 * CloudFront in front of the API's public reads and of the thumbnails (serverless.ts adds these resources).
 *
 * - API reads: every GET is cached for a few seconds (DefaultTTL 5 s, at most 60 s when the API says so), keyed by
 *   the query strings that select a page (`limit`, `nextKey`, `label`) and by `Origin` (the API's CORS answer
 *   depends on it); no cookie, no Authorization (public reads need none, and CloudFront forwards neither). A
 *   front-page spike then costs the origin one request per edge and key every 5 s. Short because responses carry
 *   presigned photo URLs, valid an hour: a response cached 5 s hands out URLs still valid for 59 minutes. Only
 *   GET, HEAD and OPTIONS: writes go to the API's own URL, never through a cache.
 * - Thumbnails: `thumbnails/<imageId>.jpg`, written once per image, always JPEG, served from the private bucket
 *   through origin access control (the bucket policy allows this distribution alone, thumbnails alone) at stable
 *   URLs that edges and browsers cache for a day. Thumbnails need no signed URL or cookie: the API hands their
 *   URLs to anyone who may read the image, i.e. everyone, and image ids are random. A deleted image's thumbnail
 *   may stay at an edge for up to the day; the photo itself stays presigned (its type is bound in the signature).
 */
const CDN_ID = 'Cdn';

/** `https://<distribution>.cloudfront.net`, for the API's THUMBNAILS_CDN_URL and the stack's outputs. */
export const cdnUrl = { 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [CDN_ID, 'DomainName'] }]] };

/** The bucket policy statement that lets this distribution alone read thumbnails. */
export function thumbnailsReadByCdnOnly(thumbnailsArn: object) {
  return {
    Sid: 'AllowCdnToReadThumbnails',
    Effect: 'Allow',
    Principal: { Service: 'cloudfront.amazonaws.com' },
    Action: 's3:GetObject',
    Resource: thumbnailsArn,
    Condition: {
      StringEquals: {
        'AWS:SourceArn': {
          'Fn::Join': [
            '',
            [
              'arn:',
              { Ref: 'AWS::Partition' },
              ':cloudfront::',
              { Ref: 'AWS::AccountId' },
              ':distribution/',
              { Ref: CDN_ID },
            ],
          ],
        },
      },
    },
  };
}

const API_CACHE = { defaultTtl: 5, maxTtl: 60 };
const THUMBNAIL_CACHE = { defaultTtl: 86_400, maxTtl: 86_400 };

export function cdnResources(stage: string) {
  return {
    ApiReadsCachePolicy: {
      Type: 'AWS::CloudFront::CachePolicy',
      Properties: {
        CachePolicyConfig: {
          Name: `udagram-${stage}-api-reads`,
          Comment: 'Public API reads: a few seconds, keyed by the paging and label query strings and Origin',
          MinTTL: 0,
          DefaultTTL: API_CACHE.defaultTtl,
          MaxTTL: API_CACHE.maxTtl,
          ParametersInCacheKeyAndForwardedToOrigin: {
            EnableAcceptEncodingGzip: true,
            EnableAcceptEncodingBrotli: true,
            HeadersConfig: { HeaderBehavior: 'whitelist', Headers: ['Origin'] },
            CookiesConfig: { CookieBehavior: 'none' },
            QueryStringsConfig: { QueryStringBehavior: 'whitelist', QueryStrings: ['limit', 'nextKey', 'label'] },
          },
        },
      },
    },
    ThumbnailsCachePolicy: {
      Type: 'AWS::CloudFront::CachePolicy',
      Properties: {
        CachePolicyConfig: {
          Name: `udagram-${stage}-thumbnails`,
          Comment: 'Thumbnails: immutable per image, cached a day, keyed by path only',
          MinTTL: THUMBNAIL_CACHE.defaultTtl,
          DefaultTTL: THUMBNAIL_CACHE.defaultTtl,
          MaxTTL: THUMBNAIL_CACHE.maxTtl,
          ParametersInCacheKeyAndForwardedToOrigin: {
            EnableAcceptEncodingGzip: false,
            EnableAcceptEncodingBrotli: false,
            HeadersConfig: { HeaderBehavior: 'none' },
            CookiesConfig: { CookieBehavior: 'none' },
            QueryStringsConfig: { QueryStringBehavior: 'none' },
          },
        },
      },
    },
    ThumbnailsResponseHeadersPolicy: {
      Type: 'AWS::CloudFront::ResponseHeadersPolicy',
      Properties: {
        ResponseHeadersPolicyConfig: {
          Name: `udagram-${stage}-thumbnails`,
          Comment: 'Thumbnails are images, never pages',
          SecurityHeadersConfig: {
            ContentTypeOptions: { Override: true },
            StrictTransportSecurity: { AccessControlMaxAgeSec: 31_536_000, IncludeSubdomains: true, Override: true },
          },
          CustomHeadersConfig: {
            Items: [{ Header: 'Content-Security-Policy', Value: "default-src 'none'; sandbox", Override: true }],
          },
        },
      },
    },
    ThumbnailsOriginAccessControl: {
      Type: 'AWS::CloudFront::OriginAccessControl',
      Properties: {
        OriginAccessControlConfig: {
          Name: `udagram-${stage}-thumbnails`,
          Description: 'CloudFront signs its requests for thumbnails to the private images bucket',
          OriginAccessControlOriginType: 's3',
          SigningBehavior: 'always',
          SigningProtocol: 'sigv4',
        },
      },
    },
    [CDN_ID]: {
      Type: 'AWS::CloudFront::Distribution',
      Properties: {
        DistributionConfig: {
          Enabled: true,
          Comment: `Udagram ${stage}: public API reads and thumbnails`,
          HttpVersion: 'http2and3',
          // North America and Europe edges; PriceClass_All when the audience is worldwide.
          PriceClass: 'PriceClass_100',
          Origins: [
            {
              Id: 'api',
              DomainName: {
                'Fn::Join': [
                  '',
                  [{ Ref: 'HttpApi' }, '.execute-api.', { Ref: 'AWS::Region' }, '.', { Ref: 'AWS::URLSuffix' }],
                ],
              },
              CustomOriginConfig: { OriginProtocolPolicy: 'https-only', OriginSSLProtocols: ['TLSv1.2'] },
            },
            {
              Id: 'thumbnails',
              DomainName: { 'Fn::GetAtt': ['ImagesBucket', 'RegionalDomainName'] },
              // OAC rather than a legacy origin access identity: the empty identity is how CloudFormation says none.
              S3OriginConfig: { OriginAccessIdentity: '' },
              OriginAccessControlId: { 'Fn::GetAtt': ['ThumbnailsOriginAccessControl', 'Id'] },
            },
          ],
          DefaultCacheBehavior: {
            TargetOriginId: 'api',
            ViewerProtocolPolicy: 'https-only',
            AllowedMethods: ['GET', 'HEAD', 'OPTIONS'],
            CachedMethods: ['GET', 'HEAD'],
            CachePolicyId: { Ref: 'ApiReadsCachePolicy' },
            Compress: true,
          },
          CacheBehaviors: [
            {
              PathPattern: 'thumbnails/*',
              TargetOriginId: 'thumbnails',
              ViewerProtocolPolicy: 'https-only',
              AllowedMethods: ['GET', 'HEAD'],
              CachedMethods: ['GET', 'HEAD'],
              CachePolicyId: { Ref: 'ThumbnailsCachePolicy' },
              ResponseHeadersPolicyId: { Ref: 'ThumbnailsResponseHeadersPolicy' },
              Compress: false,
            },
          ],
        },
      },
    },
  };
}
