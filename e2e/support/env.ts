// Credentials and addresses shared by the Playwright config and the specs.
export const E2E_PORT = Number(process.env.E2E_PORT ?? 3200);
export const E2E_ADMIN = { email: "admin@federation.local", password: "e2e-admin-password-1234" };
export const E2E_ADMIN_TOKEN = "e2e-admin-token-0123456789abcdef0123456789";
/** Every app instance of a run signs sessions with it (instances on one database must share their secret). */
export const E2E_SECRET = "e2e-session-secret-0123456789abcdef0123456789";
