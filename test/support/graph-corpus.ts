import { CloudTrailRecord } from '../../src/cloudtrail/record';
import { firstOfEachId } from './expected';
import { corpusRecords } from './fixture-store';
import { syntheticRecords } from './graph-samples';

/** The corpus (first record of each eventID) and the synthetic records of graph-samples.ts. */
export function graphCorpus(): CloudTrailRecord[] {
  return firstOfEachId([...corpusRecords(), ...syntheticRecords()]);
}
