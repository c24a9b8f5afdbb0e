import baselineDictionary from './baseline-dictionary.ts';
import evaluationCalibrate from './evaluation-calibrate.ts';
import evaluationClassification from './evaluation-classification.ts';
import evaluationNer from './evaluation-ner.ts';
import evaluationReport from './evaluation-report.ts';

export const stages = [evaluationNer, evaluationClassification, evaluationCalibrate, evaluationReport, baselineDictionary];
