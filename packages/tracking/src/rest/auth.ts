/** MLflow's client auth variables: MLFLOW_TRACKING_TOKEN (Bearer) or MLFLOW_TRACKING_USERNAME/PASSWORD (Basic). */
export function authorizationHeader(env: NodeJS.ProcessEnv): string | undefined {
  if (env.MLFLOW_TRACKING_TOKEN) return `Bearer ${env.MLFLOW_TRACKING_TOKEN}`;
  if (env.MLFLOW_TRACKING_USERNAME !== undefined && env.MLFLOW_TRACKING_PASSWORD !== undefined) {
    const pair = `${env.MLFLOW_TRACKING_USERNAME}:${env.MLFLOW_TRACKING_PASSWORD}`;
    return `Basic ${Buffer.from(pair, 'utf8').toString('base64')}`;
  }
  return undefined;
}
