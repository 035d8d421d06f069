/**
 * Word lists for synthetic person data. Lists are ordered roughly by real-world commonness; the
 * generator draws from them with a Zipf-like skew so that common names are shared by many
 * unrelated people, as in real customer bases.
 */

export const GIVEN_NAMES: readonly string[] = (
  'james mary robert patricia john jennifer michael linda william elizabeth david barbara ' +
  'richard susan joseph jessica thomas sarah charles karen christopher nancy daniel lisa ' +
  'matthew margaret anthony betty mark sandra donald ashley steven kimberly paul emily andrew ' +
  'donna joshua michelle kenneth carol kevin amanda brian melissa george deborah timothy ' +
  'stephanie ronald rebecca edward sharon jason laura jeffrey cynthia ryan kathleen jacob amy ' +
  'gary angela nicholas shirley eric anna jonathan brenda stephen pamela larry emma justin ' +
  'nicole scott helen brandon samantha benjamin katherine samuel christine gregory debra ' +
  'alexander rachel frank carolyn patrick janet raymond catherine jack maria dennis heather ' +
  'jerry diane tyler ruth aaron julie jose olivia adam joyce nathan virginia henry victoria ' +
  'douglas kelly zachary lauren peter christina kyle joan ethan evelyn walter judith noah ' +
  'megan jeremy andrea christian cheryl keith hannah roger jacqueline terry martha gerald ' +
  'gloria harold teresa sean ann austin sara carl madison arthur frances lawrence kathryn ' +
  'dylan janice jesse jean jordan abigail bryan alice billy judy bruce sophia gabriel grace ' +
  'logan denise albert amber willie doris alan marilyn juan danielle wayne beverly elijah ' +
  'isabella randy theresa roy diana vincent natalie ralph brittany eugene charlotte russell ' +
  'marie bobby kayla mason alexis philip lori louis isla oliver evie caleb lucas darcy'
).split(' ');

export const SURNAMES: readonly string[] = (
  'smith johnson williams brown jones garcia miller davis rodriguez martinez hernandez lopez ' +
  'gonzalez wilson anderson thomas taylor moore jackson martin lee perez thompson white ' +
  'harris sanchez clark ramirez lewis robinson walker young allen king wright scott torres ' +
  'nguyen hill flores green adams nelson baker hall rivera campbell mitchell carter roberts ' +
  'gomez phillips evans turner diaz parker cruz edwards collins reyes stewart morris morales ' +
  'murphy cook rogers gutierrez ortiz morgan cooper peterson bailey reed kelly howard ramos ' +
  'kim cox ward richardson watson brooks chavez wood james bennett gray mendoza ruiz hughes ' +
  'price alvarez castillo sanders patel myers long ross foster jimenez powell jenkins perry ' +
  'russell sullivan bell coleman butler henderson barnes gonzales fisher vasquez simmons ' +
  'romero jordan patterson alexander hamilton graham reynolds griffin wallace moreno west ' +
  'cole hayes bryant herrera gibson ellis tran medina aguilar stevens murray ford castro ' +
  'marshall owens harrison fernandez mcdonald woods washington kennedy wells vargas henry ' +
  'chen freeman webb tucker guzman burns crawford olson simpson porter hunter gordon mendez ' +
  'silva shaw snyder mason dixon munoz hunt hicks holmes palmer wagner black robertson boyd ' +
  'rose stone salazar fox warren mills meyer rice schmidt garza daniels ferguson nichols ' +
  'stephens soto weaver ryan gardner payne grant dunn kelley spencer hawkins arnold pierce ' +
  'hansen peters santos hart bradley knight elliott cunningham duncan armstrong hudson ' +
  'carroll lane riley andrews alvarado ray delgado berry perkins hoffman johnston matthews ' +
  'pena richards willis carpenter lawrence sandoval guerrero george chapman rios estrada ' +
  'ortega watkins greene nunez wheeler valdez harper burke larson santiago maldonado ' +
  'morrison franklin carlson austin dominguez carr lawson jacobs obrien lynch singh vega ' +
  'bishop montgomery oliver jensen harvey williamson gilbert dean sims espinoza howell li ' +
  'wong reid hanson le mccoy garrett burton fuller wang weber welch rojas lucas marquez ' +
  'fields park yang little banks padilla day walsh bowman schultz luna fowler mejia davidson ' +
  'acosta brewer may holland juarez newman pearson curtis cortez douglas schneider joseph ' +
  'barrett navarro figueroa keller avila wade molina stanley hopkins campos barnett bates ' +
  'chambers caldwell beck lambert miranda byrd craig ayala lowe frazier powers neal leonard ' +
  'gregory carrillo sutton fleming rhodes shelton schwartz norris jennings watts duran ' +
  'walters cohen mcdaniel moran parks steele vaughn becker holt deleon barker terry hale ' +
  'leon hail benson haynes horton miles lyons pham graves bush thornton wolfe warner cabrera ' +
  'mckinney mann zimmerman dawson lara fletcher page mccarthy love robles cervantes solis ' +
  'erickson reeves chang klein salinas fuentes baldwin daniel simon velasquez hardy higgins ' +
  'aguirre lin cummings chandler sharp barber bowen ochoa dennis robbins liu ramsey francis ' +
  'griffith paul blair oconnor cardenas pacheco cross calderon quinn moss swanson chan rivas ' +
  'khan rodgers serrano fitzgerald rosales stevenson christensen manning gill curry mclaughlin'
).split(' ');

export const CITIES: readonly string[] = (
  'london birmingham manchester leeds glasgow sheffield bradford liverpool edinburgh bristol ' +
  'cardiff leicester coventry nottingham hull newcastle stoke southampton derby portsmouth ' +
  'brighton plymouth northampton reading luton wolverhampton bolton aberdeen bournemouth ' +
  'norwich swindon swansea southend middlesbrough peterborough sunderland warrington ' +
  'huddersfield slough oxford york poole ipswich telford cambridge dundee gloucester ' +
  'blackpool exeter'
).split(' ');

export const STREETS: readonly string[] = (
  'high church station victoria green manor park queens kings grange mill school new chapel ' +
  'north south west east albert york london windsor springfield highfield alexander ' +
  'richmond cedar oak elm ash beech maple willow hawthorn orchard meadow brook river lake ' +
  'hill forest valley bridge castle abbey priory market broad long main'
).split(' ');

export const STREET_TYPES: readonly string[] = [
  'street',
  'road',
  'lane',
  'avenue',
  'close',
  'drive',
  'way',
  'crescent',
  'gardens',
  'place',
];

export const EMAIL_DOMAINS: readonly string[] = [
  'gmail.com',
  'yahoo.com',
  'hotmail.com',
  'outlook.com',
  'icloud.com',
  'aol.com',
  'btinternet.com',
  'proton.me',
  'mail.com',
  'live.co.uk',
];

/** Diminutives used when a duplicate record gives a nickname instead of the full name. */
export const NICKNAMES: Readonly<Record<string, readonly string[]>> = {
  james: ['jim', 'jimmy', 'jamie'],
  robert: ['rob', 'bob', 'bobby'],
  john: ['jack', 'johnny'],
  michael: ['mike', 'mick'],
  william: ['will', 'bill', 'liam'],
  richard: ['rick', 'rich', 'dick'],
  joseph: ['joe', 'joey'],
  thomas: ['tom', 'tommy'],
  charles: ['charlie', 'chuck'],
  christopher: ['chris'],
  daniel: ['dan', 'danny'],
  matthew: ['matt'],
  anthony: ['tony'],
  andrew: ['andy', 'drew'],
  joshua: ['josh'],
  kenneth: ['ken', 'kenny'],
  timothy: ['tim'],
  ronald: ['ron'],
  edward: ['ed', 'ted', 'eddie'],
  jeffrey: ['jeff'],
  nicholas: ['nick'],
  stephen: ['steve'],
  benjamin: ['ben'],
  samuel: ['sam'],
  gregory: ['greg'],
  alexander: ['alex'],
  patrick: ['pat'],
  elizabeth: ['liz', 'beth', 'betty'],
  patricia: ['pat', 'trish'],
  jennifer: ['jen', 'jenny'],
  margaret: ['maggie', 'peggy'],
  jessica: ['jess'],
  katherine: ['kate', 'kathy'],
  rebecca: ['becky'],
  deborah: ['debbie'],
  samantha: ['sam'],
  victoria: ['vicky'],
  abigail: ['abby'],
  susan: ['sue'],
  pamela: ['pam'],
};
