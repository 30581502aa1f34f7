// Which state backends infra accepts: Pulumi's own.
const BACKEND = /^(file:\/\/\/.+|s3:\/\/.+|gs:\/\/.+|azblob:\/\/.+|https:\/\/.+)$/;

/** undefined when fine; otherwise what is wrong and what to use. */
export function checkBackend(url: string): string | undefined {
  return BACKEND.test(url)
    ? undefined
    : `unsupported state backend '${url}': use file:///<absolute dir>, s3://<bucket>, gs://<bucket>, azblob://<container> or https://api.pulumi.com`;
}
