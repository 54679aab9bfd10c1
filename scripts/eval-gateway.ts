import type { DetectionConfig } from '../src/detection/config.ts';
import type { Outcome } from './eval-corpus.ts';
import type { CorpusCase } from './corpus-case.ts';

/** Replays cases as real HTTP requests through a gateway in front of an echo upstream (wired once src/gateway.ts lands). */
export async function replayThroughGateway(_cases: CorpusCase[], _config: DetectionConfig): Promise<Outcome[]> {
  throw new Error('--gateway needs src/gateway.ts (startGateway); run without --gateway to replay through the inspector');
}
