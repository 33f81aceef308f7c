export { OpampAgentClient, type OpampAgentClientOptions } from './client';
export { describeDialError, type DialTarget } from './dialError';
export { parseEndpoint, dialUrl, type Endpoint, type Resolve } from './endpoint';
