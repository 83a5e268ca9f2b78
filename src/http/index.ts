export { buildHttp, type HttpDeps } from './server.ts';
export type { ApiDeps } from './api/index.ts';
