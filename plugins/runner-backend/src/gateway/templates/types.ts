import type { z } from 'zod';
import type {
  GatewayProviderId,
  GatewayProviderInput,
} from '@internal/plugin-runner-common';
import type { GatewayBundle } from '../bundle';

/** A provider template: validated input in, complete bundle out. */
export interface ProviderTemplate<
  I extends GatewayProviderInput = GatewayProviderInput,
> {
  id: GatewayProviderId;
  title: string;
  description: string;
  inputSchema: z.ZodType<I, unknown>;
  build(input: I): GatewayBundle;
}
