import { MemoryRegistryStore } from '@mfakit/registry';
import { runRegistryStoreConformance } from '@mfakit/testing';

runRegistryStoreConformance(() => new MemoryRegistryStore(), { name: 'MemoryRegistryStore conformance' });
