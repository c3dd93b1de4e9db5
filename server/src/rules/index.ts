import type { Rule } from '../engine/rule';
import { privateKeyRule } from './secret/privateKey';

/** Every rule DeployRisk has, in the order `deployrisk rules` lists them. */
export const ALL_RULES: readonly Rule[] = [privateKeyRule];
