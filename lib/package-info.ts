/** Name and version used in the `User-Agent` header. Kept in sync with package.json by a test. */
export const PACKAGE_NAME = 'nestjs-whatsapp-cloud';
export const PACKAGE_VERSION = '0.1.0';
