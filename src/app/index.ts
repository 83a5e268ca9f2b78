export { startServer, type RunningServer } from './server.ts';
export { openSystem, directorySettings, webUrl, type SystemContext } from './context.ts';
export { initialise, type InitOptions, type InitResult } from './init.ts';
export { ensureTls, type TlsMaterial } from './tls.ts';
export { VERSION } from './version.ts';
