import { MemoryCounterStore } from '../../src/behaviour/counter-store.ts';
import { counterStoreConformance } from './counter-store-conformance.ts';

counterStoreConformance('memory', () => new MemoryCounterStore());
