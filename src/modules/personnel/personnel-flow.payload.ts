import { batchPayloadTypes } from '../../common/batch';
import { PersonnelFlow } from './personnel-flow.type';

export const { ResultType: PersonnelFlowRecordResult, PayloadType: RecordPersonnelFlowsPayload } = batchPayloadTypes({
  item: PersonnelFlow,
  itemField: 'flow',
  resultName: 'PersonnelFlowRecordResult',
  payloadName: 'RecordPersonnelFlowsPayload',
  what: 'personnel flows',
});
