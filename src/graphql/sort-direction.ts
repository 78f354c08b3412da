import { describedEnum } from './described-enum.js';

export const SortDirectionEnum = describedEnum('SortDirection', 'Which way to sort.', {
  ASC: 'Ascending: oldest, first or A first.',
  DESC: 'Descending: newest, last or Z first.',
});
