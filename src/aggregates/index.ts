// Cross-site aggregates: de-identified, suppressed counts, the only thing that crosses sites.
import './breakdown.js';
import './network-summary.js';
import './outcomes.js';
import './supports.js';
