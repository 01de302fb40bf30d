/** Every test file builds stacks with cdktf's token traces skipped, as the commands do. */
import { skipTokenTraces } from '../../stacks/infrastructure/token-traces';

skipTokenTraces();
