export const PACKAGE_NAME = '@costspan/processor';
export const PACKAGE_VERSION = '0.1.0';
