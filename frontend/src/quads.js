// PLOVER quad classes and their colours (also in app.css as --q1..--q4).
export const QUADS = {
  1: { name: "verbal cooperation", types: ["AGREE", "CONSULT", "SUPPORT", "CONCEDE"], color: "#74add1" },
  2: { name: "material cooperation", types: ["COOPERATE", "AID", "RETREAT"], color: "#2c7bb6" },
  3: { name: "verbal conflict", types: ["REQUEST", "ACCUSE", "REJECT", "THREATEN"], color: "#fdae61" },
  4: { name: "material conflict", types: ["PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT"], color: "#d7191c" },
};
export const QUAD_OF = {};
for (const [q, { types }] of Object.entries(QUADS)) for (const t of types) QUAD_OF[t] = Number(q);
export const quadColor = (q) => (QUADS[q] ? QUADS[q].color : "#999");
export const typeColor = (t) => quadColor(QUAD_OF[t]);
