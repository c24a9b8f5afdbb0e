import baselineDictionary from './baseline-dictionary.ts';
import evaluationClassification from './evaluation-classification.ts';
import evaluationNer from './evaluation-ner.ts';
import evaluationReport from './evaluation-report.ts';

export const stages = [evaluationNer, evaluationClassification, evaluationReport, baselineDictionary];
