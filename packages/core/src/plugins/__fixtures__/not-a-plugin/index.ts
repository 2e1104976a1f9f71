export const plugin = { specificationVersion: 'v2', id: 'future-plugin', register: () => undefined };
