// PM2 for hosts without containers: `npm run build && pm2 start ecosystem.config.cjs`.
// The api runs in cluster mode (one per core; Socket.IO rooms span processes through the Redis
// adapter, and clients must use the websocket transport or sticky sessions), plus one worker.
// Environment comes from the shell or your process manager's env file: see .env.example.
module.exports = {
  apps: [
    {
      name: 'messaging-api',
      script: 'dist/src/main.js',
      exec_mode: 'cluster',
      instances: 'max',
      kill_timeout: 15000,
      env: { NODE_ENV: 'production' },
    },
    {
      name: 'messaging-worker',
      script: 'dist/src/worker.js',
      exec_mode: 'fork',
      instances: 1,
      kill_timeout: 15000,
      env: { NODE_ENV: 'production' },
    },
  ],
};
