export { meteorScore, singleMeteorScore, type MeteorParameters } from './meteor';
export { plugin } from './plugin';
