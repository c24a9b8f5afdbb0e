import baselineDictionary from './baseline-dictionary.ts';
import baselineZeroShot from './baseline-zero-shot.ts';
import evaluationCalibrate from './evaluation-calibrate.ts';
import evaluationClassification from './evaluation-classification.ts';
import evaluationForgetting from './evaluation-forgetting.ts';
import evaluationNer from './evaluation-ner.ts';
import evaluationReport from './evaluation-report.ts';

export const stages = [evaluationNer, evaluationClassification, evaluationCalibrate, evaluationForgetting, evaluationReport, baselineDictionary, baselineZeroShot];
