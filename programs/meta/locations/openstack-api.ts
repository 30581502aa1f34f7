// What infra's API needs on OpenStack: a Swift container for its stacks'
// state, read and written through Swift's S3 API (the s3api middleware most
// public OpenStack clouds run) with EC2 credentials made for the project.
// OpenStack has no standard image registry: the image goes where --registry
// names. Without the S3 endpoint in the bootstrap file, the state stays on
// the API's volume (one replica).
import * as openstack from "@pulumi/openstack";
import * as pulumi from "@pulumi/pulumi";
import { Group } from "../../components/group.js";
import type { LocationApi } from "./types.js";

export interface OpenStackStateOptions {
  /** Swift's S3 API (https://…), like https://s3.gra.io.cloud.ovh.net; absent: no container. */
  stateEndpoint?: string;
  /** Swift's object versioning on the container (the cloud must allow it). */
  stateVersioning?: boolean;
}

export function openstackApi(name: string, region: string, o: OpenStackStateOptions): LocationApi | undefined {
  if (!o.stateEndpoint) return undefined;
  const parent = new Group("infra:meta:OpenStackApi", `${name}-api`);
  const opts = { parent };
  const container = new openstack.objectstorage.Container(
    `${name}-state`,
    {
      name: `${name}-infra-state`,
      region,
      ...(o.stateVersioning && { versioning: true }),
      // The environments' state: a destroy of meta must not take it.
      forceDestroy: false,
    },
    { ...opts, protect: true },
  );
  // EC2-style credentials of the project, for the S3 API; the API's pods get them from a Secret.
  const creds = new openstack.identity.Ec2CredentialV3(`${name}-api-state`, { region }, opts);
  const endpoint = new URL(o.stateEndpoint);
  parent.finish({ container: container.name });
  return {
    stateBackend: pulumi.interpolate`s3://${container.name}?endpoint=${encodeURIComponent(endpoint.origin)}&region=${encodeURIComponent(region.toLowerCase())}&use_path_style=true`,
    stateCredentials: pulumi.secret(
      pulumi.all([creds.access, creds.secret]).apply(([id, key]): Record<string, string> => ({ AWS_ACCESS_KEY_ID: id, AWS_SECRET_ACCESS_KEY: key })),
    ),
  };
}
