// Every e2e server's port is its nominal one (18080–18110) shifted by GATEHOUSE_E2E_PORT_BASE, so
// two suites can run side by side on one machine (a second `make test` as load, issue 14).
const base = Number(process.env.GATEHOUSE_E2E_PORT_BASE ?? 18080);

export function e2ePort(nominal: number): number {
  return base + (nominal - 18080);
}
