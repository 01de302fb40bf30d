/** Set up once in each test worker, which runs many test files one after the other (jest.config.js). */
import { skipTokenTraces } from '../../stacks/infrastructure/token-traces';

// every test file builds stacks with cdktf's token traces skipped, as buildLandingZone does, a construct on a bare stack included
skipTokenTraces();
