module.exports = { ...require('../../jest.preset.cjs'), rootDir: __dirname, displayName: 'guide-chat-endpoint' };
