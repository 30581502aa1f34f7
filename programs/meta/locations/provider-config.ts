// No @pulumi/* import here: the application core reads this to configure a
// stack without loading the engine.

/**
 * The stack configuration the cloud providers read (their default provider):
 * set on the meta stack, so every resource, in every component, goes to the
 * location's project, account or cloud and region.
 */
export function providerConfig(loc: { kind: string; project?: string; region?: string; cloud?: string }): Record<string, string> {
  switch (loc.kind) {
    case "gcp":
      return { "gcp:project": loc.project!, "gcp:region": loc.region! };
    case "aws":
      return { "aws:region": loc.region! };
    case "openstack":
      return { "openstack:cloud": loc.cloud!, "openstack:region": loc.region! };
    default:
      return {};
  }
}
