// Preloaded (node --import) into each server of `npm run bench:peer`: counts the statements it
// sends to PostgreSQL (every pg client query, BEGIN and COMMIT included) and prints the count on SIGUSR2.
import pg from 'pg';

let statements = 0;
const query = pg.Client.prototype.query;
pg.Client.prototype.query = function (...args) {
  statements++;
  return query.apply(this, args);
};
process.on('SIGUSR2', () => console.log(JSON.stringify({ level: 30, msg: 'statements', statements })));
