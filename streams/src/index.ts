// Public API of the stream processors; each area re-exports from its own index.
