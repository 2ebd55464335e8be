import { Pool } from 'pg';

export const pool = new Pool({ connectionString: process.env.DATABASE_URL });

export async function createJob(id: string, sceneUrl: string, frames: [number, number], callbackUrl?: string): Promise<void> {
  await pool.query(
    'INSERT INTO jobs (id, scene_url, frame_start, frame_end, callback_url, status) VALUES ($1, $2, $3, $4, $5, $6)',
    [id, sceneUrl, frames[0], frames[1], callbackUrl ?? null, 'queued'],
  );
}

export async function setJobStatus(id: string, status: string, outputUrl?: string): Promise<void> {
  await pool.query('UPDATE jobs SET status = $2, output_url = $3, updated_at = now() WHERE id = $1', [
    id,
    status,
    outputUrl ?? null,
  ]);
}

export async function cancelJob(id: string): Promise<void> {
  await pool.query("UPDATE jobs SET status = 'cancelled', updated_at = now() WHERE id = $1", [id]);
}

export async function getJob(id: string): Promise<Record<string, unknown> | undefined> {
  const res = await pool.query('SELECT * FROM jobs WHERE id = $1', [id]);
  return res.rows[0];
}
