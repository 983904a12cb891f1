import { afterEach, describe, expect, it, vi } from 'vitest';
import { BackendError } from './error';
import { HttpBackend } from './http';

function jsonResponse(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
}

async function caught(promise: Promise<unknown>): Promise<BackendError> {
  try {
    await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(BackendError);
    return err as BackendError;
  }
  throw new Error('expected a rejection');
}

describe('HttpBackend', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('returns the event on success', async () => {
    const fetchMock = vi.fn().mockResolvedValue(jsonResponse(200, { code: 'BAMEX25', name: "BAMEX'25" }));
    vi.stubGlobal('fetch', fetchMock);
    const event = await new HttpBackend().event();
    expect(event.name).toBe("BAMEX'25");
    expect(fetchMock).toHaveBeenCalledWith('/api/event', expect.anything());
  });

  it('maps a {code, message} error body to a BackendError with that code', async () => {
    vi.stubGlobal('fetch', vi.fn().mockResolvedValue(jsonResponse(404, { code: 'no_event', message: 'no event' })));
    const err = await caught(new HttpBackend().event());
    expect(err.code).toBe('no_event');
    expect(err.message).toBe('no event');
  });

  it('maps the station endpoint errors the same way', async () => {
    const fetchMock = vi.fn().mockResolvedValue(jsonResponse(403, { code: 'forbidden', message: 'nope' }));
    vi.stubGlobal('fetch', fetchMock);
    const err = await caught(new HttpBackend().station());
    expect(err.code).toBe('forbidden');
    expect(fetchMock).toHaveBeenCalledWith('/api/station', expect.anything());
  });

  it('carries the refused fields of a 422 bad_input', async () => {
    const body = {
      code: 'bad_input',
      message: 'country: unknown country "Atlantis"',
      fields: [{ field: 'country', problem: { kind: 'unknown_country', value: 'Atlantis' }, message: 'unknown country "Atlantis"' }],
    };
    vi.stubGlobal('fetch', vi.fn().mockResolvedValue(jsonResponse(422, body)));
    const err = await caught(new HttpBackend().event());
    expect(err.code).toBe('bad_input');
    expect(err.fields).toEqual(body.fields);
  });

  it('maps a network failure to internal', async () => {
    vi.stubGlobal('fetch', vi.fn().mockRejectedValue(new TypeError('Failed to fetch')));
    const err = await caught(new HttpBackend().event());
    expect(err.code).toBe('internal');
  });

  it('maps an unknown code or a non-JSON error body to internal', async () => {
    vi.stubGlobal('fetch', vi.fn().mockResolvedValue(jsonResponse(500, { code: 'exploded', message: 'x' })));
    expect((await caught(new HttpBackend().event())).code).toBe('internal');
    vi.stubGlobal('fetch', vi.fn().mockResolvedValue(new Response('<html>Bad gateway</html>', { status: 502 })));
    const err = await caught(new HttpBackend().event());
    expect(err.code).toBe('internal');
    expect(err.message).toBe('HTTP 502');
  });
});

describe('HttpBackend operations', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('posts an operation to /api/op/{name} with its arguments, and reads its answer', async () => {
    const unpaired = { station: 'st 1', role: 'desk', held_signing_keys: true, keys_to_rotate: ['ab'], badges_issued: [] };
    const fetchMock = vi
      .fn()
      .mockResolvedValueOnce(jsonResponse(200, { applied: 3, withheld: 2 }))
      .mockResolvedValueOnce(jsonResponse(200, unpaired))
      .mockResolvedValueOnce(jsonResponse(200, null));
    vi.stubGlobal('fetch', fetchMock);
    const backend = new HttpBackend();
    expect(await backend.call('sync_resolve', { station: 'st 1', resolution: 'release' })).toEqual({
      applied: 3,
      withheld: 2,
    });
    expect(fetchMock.mock.calls[0][0]).toBe('/api/op/sync_resolve');
    expect(fetchMock.mock.calls[0][1]).toMatchObject({ method: 'POST' });
    const sent = fetchMock.mock.calls[0][1].body as Blob;
    expect(JSON.parse(await sent.text())).toEqual({ station: 'st 1', resolution: 'release' });
    expect(await backend.call('sync_unpair', { station: 'st 1' })).toEqual(unpaired);
    expect(fetchMock.mock.calls[1][0]).toBe('/api/op/sync_unpair');
    expect(await backend.call('sync_cancel_code', { label: 'K7QX' })).toBeNull();
    expect(fetchMock.mock.calls[2][0]).toBe('/api/op/sync_cancel_code');
  });
});

describe('HttpBackend session', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('attaches the session token to every call after sign-in, and forgets it on unauthenticated', async () => {
    const fetchMock = vi
      .fn()
      .mockResolvedValueOnce(jsonResponse(200, { token: 'abc', name: 'Gate', role: 'gate', idle_timeout_s: 900 }))
      .mockResolvedValueOnce(jsonResponse(200, { code: 'BAMEX25' }))
      .mockResolvedValueOnce(jsonResponse(401, { code: 'unauthenticated', message: 'locked' }));
    vi.stubGlobal('fetch', fetchMock);
    const backend = new HttpBackend();
    const lost = vi.fn();
    backend.onSessionLost = lost;
    await backend.signIn('id-gate', '3333');
    expect(fetchMock.mock.calls[0][1]).toMatchObject({
      method: 'POST',
      body: JSON.stringify({ staff_id: 'id-gate', pin: '3333' }),
    });
    await backend.event();
    expect(fetchMock.mock.calls[1][1].headers.Authorization).toBe('Bearer abc');
    expect((await caught(backend.call('scan', { token: 'x', zone: 'HALL', direction: 'in' }))).code).toBe('unauthenticated');
    expect(lost).toHaveBeenCalledOnce();
  });
});
