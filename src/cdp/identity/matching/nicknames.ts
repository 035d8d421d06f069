/**
 * Given-name equivalence classes: diminutives and common variant spellings that string
 * similarity cannot see ("Bob" and "Robert" share no prefix and few letters). A name may sit in
 * several classes ("Al" is Albert, Alan, Alfred or Alexander); two names are equivalent when
 * they share at least one class. Names are in the form produced by normalizeName().
 */
const GROUPS: readonly (readonly string[])[] = [
  ['robert', 'rob', 'robbie', 'bob', 'bobby', 'bert', 'robby'],
  ['william', 'will', 'bill', 'billy', 'willie', 'liam', 'willy'],
  ['richard', 'rich', 'rick', 'ricky', 'dick', 'richie'],
  ['james', 'jim', 'jimmy', 'jamie', 'jimmie'],
  ['john', 'jack', 'johnny', 'jon', 'jonny'],
  ['jonathan', 'jon', 'jonny', 'nathan'],
  ['michael', 'mike', 'mick', 'mickey', 'mikey', 'micky'],
  ['thomas', 'tom', 'tommy', 'thom'],
  ['charles', 'charlie', 'chuck', 'chas', 'charley'],
  ['joseph', 'joe', 'joey', 'jos'],
  ['daniel', 'dan', 'danny'],
  ['matthew', 'matt', 'matty'],
  ['christopher', 'chris', 'kit', 'topher'],
  ['christine', 'chris', 'chrissy', 'christina', 'tina', 'kristine', 'kristina'],
  ['anthony', 'tony', 'ant', 'antony'],
  ['andrew', 'andy', 'drew'],
  ['alexander', 'alex', 'al', 'alec', 'sandy', 'xander', 'lex'],
  ['alexandra', 'alex', 'alexa', 'sandra', 'sandy', 'lexi', 'alexis'],
  ['albert', 'al', 'bert', 'bertie'],
  ['alfred', 'al', 'alf', 'alfie', 'fred', 'freddie'],
  ['alan', 'al', 'allan', 'allen'],
  ['frederick', 'fred', 'freddie', 'freddy', 'fritz'],
  ['edward', 'ed', 'eddie', 'ted', 'teddy', 'ned', 'eddy'],
  ['edwin', 'ed', 'eddie'],
  ['benjamin', 'ben', 'benny', 'benji'],
  ['samuel', 'sam', 'sammy'],
  ['samantha', 'sam', 'sammy', 'sammie'],
  ['nicholas', 'nick', 'nicky', 'nico', 'nic', 'nicolas'],
  ['david', 'dave', 'davy', 'davey'],
  ['stephen', 'steve', 'steven', 'stevie', 'stephan'],
  ['timothy', 'tim', 'timmy'],
  ['patrick', 'pat', 'paddy', 'patty'],
  ['patricia', 'pat', 'patty', 'trish', 'tricia', 'patsy'],
  ['peter', 'pete', 'pedro'],
  ['philip', 'phil', 'phillip', 'pip'],
  ['gregory', 'greg', 'gregg'],
  ['jeffrey', 'jeff', 'geoffrey', 'geoff'],
  ['kenneth', 'ken', 'kenny'],
  ['ronald', 'ron', 'ronnie'],
  ['donald', 'don', 'donnie'],
  ['raymond', 'ray'],
  ['lawrence', 'larry', 'laurence', 'laurie'],
  ['leonard', 'leo', 'len', 'lenny', 'leon'],
  ['gerald', 'gerry', 'jerry'],
  ['harold', 'harry', 'hal'],
  ['henry', 'harry', 'hank', 'hal', 'hen'],
  ['douglas', 'doug'],
  ['walter', 'walt', 'wally'],
  ['eugene', 'gene'],
  ['vincent', 'vince', 'vinny'],
  ['zachary', 'zach', 'zack', 'zak'],
  ['joshua', 'josh'],
  ['nathaniel', 'nate', 'nathan', 'nat'],
  ['oliver', 'ollie', 'olly'],
  ['elizabeth', 'liz', 'lizzie', 'beth', 'betty', 'bess', 'eliza', 'libby', 'lisa', 'elisabeth'],
  ['margaret', 'maggie', 'meg', 'peggy', 'marge', 'margie', 'greta', 'madge'],
  ['katherine', 'kate', 'katie', 'kathy', 'kat', 'catherine', 'cathy', 'kathryn', 'kitty'],
  ['jennifer', 'jen', 'jenny', 'jenn'],
  ['jessica', 'jess', 'jessie'],
  ['rebecca', 'becky', 'becca', 'bec'],
  ['deborah', 'debbie', 'deb', 'debra'],
  ['susan', 'sue', 'susie', 'suzanne', 'susanne'],
  ['victoria', 'vicky', 'vicki', 'tori', 'vic'],
  ['abigail', 'abby', 'abbie', 'gail'],
  ['barbara', 'barb', 'babs', 'barbie'],
  ['dorothy', 'dot', 'dottie', 'dolly'],
  ['eleanor', 'ellie', 'nell', 'nellie', 'elly'],
  ['helen', 'nell', 'nellie', 'ellen'],
  ['judith', 'judy', 'jude'],
  ['kimberly', 'kim', 'kimmy'],
  ['mary', 'molly', 'polly', 'mae', 'mamie', 'maria', 'marie'],
  ['ann', 'anne', 'anna', 'annie', 'nancy', 'hannah'],
  ['amanda', 'mandy', 'manda'],
  ['pamela', 'pam'],
  ['sarah', 'sara', 'sally', 'sadie'],
  ['teresa', 'theresa', 'terri', 'terry', 'tess', 'tessa'],
  ['valerie', 'val'],
  ['virginia', 'ginny', 'ginger'],
  ['cynthia', 'cindy'],
  ['lucinda', 'lucy', 'cindy'],
  ['sophia', 'sophie', 'sofia'],
  ['isabella', 'isabel', 'bella', 'izzy', 'isabelle', 'belle'],
  ['gabriel', 'gabe'],
  ['gabrielle', 'gabby', 'gabi'],
  ['caroline', 'carol', 'carrie', 'carolyn'],
  ['louise', 'lou', 'louisa', 'lulu'],
  ['louis', 'lou', 'lewis'],
  ['frances', 'fran', 'frankie', 'fanny'],
  ['francis', 'frank', 'frankie', 'fran'],
  ['evelyn', 'evie', 'eve'],
  ['florence', 'flo', 'florrie'],
];

const CLASSES: ReadonlyMap<string, readonly number[]> = (() => {
  const map = new Map<string, number[]>();
  GROUPS.forEach((group, index) => {
    for (const name of group) {
      const classes = map.get(name);
      if (classes) classes.push(index);
      else map.set(name, [index]);
    }
  });
  return map;
})();

/**
 * Whether two normalised given names are known variants of one another (nickname or variant
 * spelling). Identical names are not reported here; callers check equality first.
 */
export function areNicknameVariants(a: string, b: string): boolean {
  const ca = CLASSES.get(a);
  const cb = CLASSES.get(b);
  if (ca === undefined || cb === undefined) return false;
  return ca.some((c) => cb.includes(c));
}
