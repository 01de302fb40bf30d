/** Every test file builds stacks with cdktf's token traces skipped, as buildLandingZone does, a construct on a bare stack included. */
import { skipTokenTraces } from '../../stacks/infrastructure/token-traces';

skipTokenTraces();
