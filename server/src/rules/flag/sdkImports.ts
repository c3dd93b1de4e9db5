import { FLAG_CALLS, FLAG_COMPONENTS, PROPERTY_HOOKS } from './catalog';

export const CODE = /\.(ts|tsx|js|jsx|mjs|cjs|mts|cts)$/;

export const SDK_PACKAGES = [...new Set([...FLAG_CALLS, ...FLAG_COMPONENTS, ...PROPERTY_HOOKS].flatMap((entry) => entry.packages))];
/** A quoted module name starting with an SDK's package: one scan of the text instead of one per package (44 of them). */
export const SDK_IMPORT = new RegExp(`['"](?:${SDK_PACKAGES.map((pkg) => pkg.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')).join('|')})`);
