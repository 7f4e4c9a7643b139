/** opencc-js ships its dictionaries (dist/esm-lib/dict) without types: each is one string, "trad simp|trad simp|…". */
declare module 'opencc-js/dict/TSCharacters' {
  const table: string;
  export default table;
}
