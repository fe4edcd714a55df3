// The policy pack's entry point for the engine: `pulumi preview --policy-pack <dir of this pack>`.
// Kept apart from policies.ts because PolicyPack starts a gRPC server that needs the engine.
import { PolicyPack } from '@pulumi/policy';
import { everyBucketLockedDown, RESOURCE_POLICIES } from './policies.ts';

new PolicyPack('smart-factory', { policies: [...RESOURCE_POLICIES, everyBucketLockedDown] });
