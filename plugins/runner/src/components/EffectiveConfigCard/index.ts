export { EffectiveConfigCard } from './EffectiveConfigCard';
