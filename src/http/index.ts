export { buildHttp, type HttpDeps } from './server.ts';
