// An AWS VPC over several availability zones: public subnets behind an
// internet gateway, private subnets each behind the NAT gateway of their AZ
// (seed 001: highly available, multi-AZ). Credentials: the usual AWS_* or
// profile of the user running infra.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { withDefaults } from "./args.js";
import { vpcArgs } from "./aws.args.js";
import { Group } from "./group.js";
import type { ComponentFactory } from "./types.js";

export const vpc: ComponentFactory = (name, inputs) => {
  const a = withDefaults(vpcArgs, inputs);
  const parent = new Group("infra:aws:Vpc", name);
  const opts = { parent };
  // Subnets are made one per zone in a loop: the count is a plain number (a parameter or a literal).
  const azCount = a.azCount as number;
  const tags = { Name: name, "managed-by": "infra" };
  const zones = aws.getAvailabilityZonesOutput({ state: "available" }, { parent });
  const cidr = pulumi.output(a.cidr);
  // /24 subnets carved from the VPC's /16: public 0..n-1, private 100..100+n-1.
  const subnetCidr = (third: number) => cidr.apply((c) => `${c.split(".").slice(0, 2).join(".")}.${third}.0/24`);
  const v = new aws.ec2.Vpc(name, { cidrBlock: cidr, enableDnsHostnames: true, enableDnsSupport: true, tags }, opts);
  const igw = new aws.ec2.InternetGateway(name, { vpcId: v.id, tags }, opts);
  const publicRt = new aws.ec2.RouteTable(`${name}-public`, { vpcId: v.id, routes: [{ cidrBlock: "0.0.0.0/0", gatewayId: igw.id }], tags }, opts);
  const publicIds: pulumi.Output<string>[] = [];
  const privateIds: pulumi.Output<string>[] = [];
  for (let i = 0; i < azCount; i++) {
    const az = zones.names.apply((n) => {
      if (n.length < azCount) throw new Error(`the region has ${n.length} availability zones; this environment asks for ${azCount}`);
      return n[i]!;
    });
    const pub = new aws.ec2.Subnet(
      `${name}-public-${i}`,
      {
        vpcId: v.id,
        availabilityZone: az,
        cidrBlock: subnetCidr(i),
        mapPublicIpOnLaunch: true,
        tags: { ...tags, tier: "public" },
      },
      opts,
    );
    new aws.ec2.RouteTableAssociation(`${name}-public-${i}`, { subnetId: pub.id, routeTableId: publicRt.id }, opts);
    const eip = new aws.ec2.Eip(`${name}-nat-${i}`, { domain: "vpc", tags }, opts);
    // One NAT gateway per AZ: losing a zone does not cut the others off.
    const nat = new aws.ec2.NatGateway(`${name}-${i}`, { subnetId: pub.id, allocationId: eip.id, tags }, { ...opts, dependsOn: [igw] });
    const priv = new aws.ec2.Subnet(
      `${name}-private-${i}`,
      {
        vpcId: v.id,
        availabilityZone: az,
        cidrBlock: subnetCidr(100 + i),
        tags: { ...tags, tier: "private" },
      },
      opts,
    );
    const rt = new aws.ec2.RouteTable(`${name}-private-${i}`, { vpcId: v.id, routes: [{ cidrBlock: "0.0.0.0/0", natGatewayId: nat.id }], tags }, opts);
    new aws.ec2.RouteTableAssociation(`${name}-private-${i}`, { subnetId: priv.id, routeTableId: rt.id }, opts);
    publicIds.push(pub.id);
    privateIds.push(priv.id);
  }
  parent.finish({ vpcId: v.id });
  return { vpcId: v.id, publicSubnetIds: pulumi.all(publicIds), privateSubnetIds: pulumi.all(privateIds) };
};
