/** Name and version reported as the instrumentation scope of every span and metric this package records. */
export const PACKAGE_NAME = '@costspan/instrumentation';
export const PACKAGE_VERSION = '0.1.0';
